<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraPreview</name>
    <message>
        <source>Camera picture is not available. Hold your code up anyway.</source>
        <translation>摄像头画面暂不可用。请照常将二维码对准摄像头。</translation>
    </message>
</context>
<context>
    <name>CameraTestScreen</name>
    <message>
        <source>Camera and scanner test</source>
        <translation>摄像头和扫码器测试</translation>
    </message>
    <message>
        <source>Back to the map</source>
        <translation>返回示意图</translation>
    </message>
    <message>
        <source>No scan pipeline is running.</source>
        <translation>扫码识别未运行。</translation>
    </message>
    <message>
        <source>Decoder: %1
Source: %2 (%3)
Frames decoded: %4
Codes read: %5
Decode time: %6 ms average, %7 ms worst
Last error: %8</source>
        <translation>解码器：%1
图像来源：%2（%3）
已解码帧数：%4
已识别条码：%5
解码耗时：平均 %6 毫秒，最长 %7 毫秒
最近错误：%8</translation>
    </message>
</context>
<context>
    <name>CheckResultScreen</name>
    <message>
        <source>occupied</source>
        <translation>有物品</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Compartment check</source>
        <translation>格口检查</translation>
    </message>
    <message>
        <source>These lock boards have no occupancy sensors.</source>
        <translation>这些锁控板没有占用传感器。</translation>
    </message>
    <message numerus="yes">
        <source>%n compartment(s) do not match the records.</source>
        <translation>
            <numerusform>有 %n 个格口与记录不符。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every compartment matches the records.</source>
        <translation>所有格口均与记录一致。</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>格口</translation>
    </message>
    <message>
        <source>Should be</source>
        <translation>应为</translation>
    </message>
    <message>
        <source>Sensor says</source>
        <translation>传感器显示</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
</context>
<context>
    <name>CheckingScreen</name>
    <message>
        <source>Checking your code…</source>
        <translation>正在核对您的取件码…</translation>
    </message>
    <message>
        <source>This takes a moment.</source>
        <translation>请稍候。</translation>
    </message>
</context>
<context>
    <name>CodeEntryScreen</name>
    <message>
        <source>Type your pickup code</source>
        <translation>请输入取件码</translation>
    </message>
    <message>
        <source>The 8-digit code is in your parcel message.</source>
        <translation>8位取件码在您收到的包裹通知中。</translation>
    </message>
    <message>
        <source>Open my door</source>
        <translation>打开格口</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Code typed so far</source>
        <translation>已输入的取件码</translation>
    </message>
</context>
<context>
    <name>CollectScreen</name>
    <message>
        <source>to collect</source>
        <translation>待取出</translation>
    </message>
    <message>
        <source>collected</source>
        <translation>已取出</translation>
    </message>
    <message>
        <source>left in place</source>
        <translation>留在柜内</translation>
    </message>
    <message>
        <source>door did not open</source>
        <translation>格口未打开</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>正在打开格口 %1…</translation>
    </message>
    <message>
        <source>Door %1 of %2</source>
        <translation>第 %1 个格口，共 %2 个</translation>
    </message>
    <message>
        <source>Take the parcels from door %1</source>
        <translation>请取出格口 %1 中的包裹</translation>
    </message>
    <message>
        <source>Then close the door. Door %1 of %2.</source>
        <translation>然后关好柜门。第 %1 个格口，共 %2 个。</translation>
    </message>
    <message>
        <source>Nothing to take</source>
        <translation>没有可取的包裹</translation>
    </message>
    <message>
        <source>Parcels taken</source>
        <translation>已取出包裹</translation>
    </message>
    <message>
        <source>Did you take the parcels from door %1?</source>
        <translation>您是否已取出格口 %1 中的包裹？</translation>
    </message>
    <message>
        <source>The door is closed. Tell us what happened.</source>
        <translation>柜门已关闭。请告诉我们实际情况。</translation>
    </message>
    <message>
        <source>No, they are still inside</source>
        <translation>没有，包裹还在柜内</translation>
    </message>
    <message>
        <source>Yes, taken</source>
        <translation>是的，已取出</translation>
    </message>
    <message>
        <source>Nothing to collect</source>
        <translation>没有需要取回的包裹</translation>
    </message>
    <message>
        <source>No parcel at this locker has expired or been cancelled.</source>
        <translation>本柜没有过期或已取消的包裹。</translation>
    </message>
    <message>
        <source>Collection finished</source>
        <translation>回收完成</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s) collected.</source>
        <translation>
            <numerusform>已取出 %n 个包裹。</numerusform>
        </translation>
    </message>
    <message>
        <source>No parcel was taken.</source>
        <translation>没有取出任何包裹。</translation>
    </message>
    <message numerus="yes">
        <source>Parcels to collect: %n</source>
        <translation>
            <numerusform>待回收包裹：%n 个</numerusform>
        </translation>
    </message>
    <message>
        <source>Label %1 is not among the parcels to collect.</source>
        <translation>标签 %1 不在待取回的包裹中。</translation>
    </message>
    <message>
        <source>Doors open one after another. Scan or type a label to open its door.</source>
        <translation>柜门将依次打开。扫描或输入标签可打开该包裹的柜门。</translation>
    </message>
    <message>
        <source>Type the label</source>
        <translation>输入标签</translation>
    </message>
    <message>
        <source>Start opening doors</source>
        <translation>开始打开格口</translation>
    </message>
    <message>
        <source>Nothing to collect at this locker.</source>
        <translation>此快递柜没有需要回收的包裹。</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>格口</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message numerus="yes">
        <source>Back to the start in %n&#xa0;s. Touch the screen to stay.</source>
        <translation>
            <numerusform>%n&#xa0;秒后返回首页。触摸屏幕即可继续。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CourierDoorScreen</name>
    <message>
        <source>Use this label</source>
        <translation>使用此标签</translation>
    </message>
</context>
<context>
    <name>CourierLoginScreen</name>
    <message>
        <source>Courier login</source>
        <translation>快递员登录</translation>
    </message>
    <message>
        <source>Hold your badge to the camera, or type your courier ID and PIN.</source>
        <translation>请将工牌对准摄像头，或输入快递员编号和 PIN 码。</translation>
    </message>
</context>
<context>
    <name>CourierMenuScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>您好，%1</translation>
    </message>
    <message>
        <source>courier</source>
        <translation>快递员</translation>
    </message>
    <message numerus="yes">
        <source>Deposited on this visit: %n parcel(s).</source>
        <translation>
            <numerusform>本次已投递 %n 个包裹。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To deposit here: %n parcel(s) expected.</source>
        <translation>
            <numerusform>待投递：%n 个包裹。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To collect: %n parcel(s).</source>
        <translation>
            <numerusform>待取回：%n 个包裹。</numerusform>
        </translation>
    </message>
    <message>
        <source>Free compartments: %1</source>
        <translation>空闲格口：%1</translation>
    </message>
    <message>
        <source>No compartment is free.</source>
        <translation>没有空闲格口。</translation>
    </message>
    <message>
        <source>Doors reported faulty: %1</source>
        <translation>已报故障的格口：%1</translation>
    </message>
    <message>
        <source>Deposit parcels</source>
        <translation>投递包裹</translation>
    </message>
    <message>
        <source>Collect parcels</source>
        <translation>回收包裹</translation>
    </message>
    <message>
        <source>Check compartments</source>
        <translation>检查格口</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>DepositScreen</name>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Type the label</source>
        <translation>输入标签</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>正在打开格口 %1…</translation>
    </message>
    <message>
        <source>Wait for the door to spring open.</source>
        <translation>请等待柜门弹开。</translation>
    </message>
    <message>
        <source>Put the parcel in door %1</source>
        <translation>请将包裹放入格口 %1</translation>
    </message>
    <message>
        <source>Size %1. Close the door when the parcel is in.</source>
        <translation>尺寸 %1。放好包裹后请关好柜门。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Door did not open</source>
        <translation>格口未打开</translation>
    </message>
    <message>
        <source>Parcel does not fit</source>
        <translation>包裹放不下</translation>
    </message>
    <message>
        <source>No %1 free: use %2?</source>
        <translation>没有空闲的 %1：改用 %2？</translation>
    </message>
    <message>
        <source>Every size %1 compartment is taken. Door %2 (size %3) is free.</source>
        <translation>所有 %1 号格口已满。%2 号柜门（%3 号）空闲。</translation>
    </message>
    <message>
        <source>No, keep the parcel</source>
        <translation>不，包裹带走</translation>
    </message>
    <message>
        <source>Yes, use %1</source>
        <translation>是，使用 %1</translation>
    </message>
    <message>
        <source>Keep this parcel and scan the next one.</source>
        <translation>请保留此包裹，并扫描下一个。</translation>
    </message>
    <message>
        <source>Scan the next parcel</source>
        <translation>扫描下一个包裹</translation>
    </message>
    <message>
        <source>No free compartment for this parcel</source>
        <translation>没有可放此包裹的空闲格口</translation>
    </message>
    <message>
        <source>Nothing of size %1 or larger is free. Keep the parcel.</source>
        <translation>没有 %1 或更大尺寸的空闲格口。请保留此包裹。</translation>
    </message>
    <message>
        <source>Scan the parcel label</source>
        <translation>请扫描包裹面单</translation>
    </message>
    <message>
        <source>Last parcel %1 went into door %2.</source>
        <translation>上一个包裹 %1 已放入格口 %2。</translation>
    </message>
    <message>
        <source>Hold the label to the camera, or type it if it will not scan.</source>
        <translation>将标签对准摄像头；无法扫描时请手动输入。</translation>
    </message>
    <message>
        <source>Done depositing</source>
        <translation>投递完成</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>格口</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>This parcel is already in the locker</source>
        <translation>此包裹已在快递柜中</translation>
    </message>
    <message>
        <source>This parcel is not to be deposited (%1)</source>
        <translation>此包裹不能投递（%1）</translation>
    </message>
    <message>
        <source>This parcel is not announced for this locker</source>
        <translation>此包裹未登记到本快递柜</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>Thank you!</source>
        <translation>谢谢！</translation>
    </message>
    <message>
        <source>The door is closed. Have a nice day.</source>
        <translation>格口已关闭。祝您愉快！</translation>
    </message>
    <message numerus="yes">
        <source>Forgot something? Reopen door %1 (%n&#xa0;s)</source>
        <translation>
            <numerusform>忘了东西？重新打开格口 %1（%n&#xa0;秒）</numerusform>
        </translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>DoorOpenScreen</name>
    <message>
        <source>Door %1 of %2 for your code</source>
        <translation>您的取件码共 %2 个格口，这是第 %1 个</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>正在打开格口 %1…</translation>
    </message>
    <message>
        <source>The door will spring open in a moment.</source>
        <translation>柜门马上就会弹开。</translation>
    </message>
    <message>
        <source>Door %1 is still open</source>
        <translation>格口 %1 仍未关闭</translation>
    </message>
    <message>
        <source>Please close the door firmly. Staff have been notified.</source>
        <translation>请用力关好柜门。已通知工作人员。</translation>
    </message>
    <message>
        <source>Please take your parcel and close the door.</source>
        <translation>请取出包裹并关好柜门。</translation>
    </message>
    <message>
        <source>Door %1 is open</source>
        <translation>格口 %1 已打开</translation>
    </message>
    <message>
        <source>Take your parcel and close the door when you are done.</source>
        <translation>取出包裹后，请关好柜门。</translation>
    </message>
    <message>
        <source>Map of the locker with your door marked</source>
        <translation>快递柜示意图（已标出您的格口）</translation>
    </message>
    <message>
        <source>Door didn&apos;t open</source>
        <translation>柜门没有打开</translation>
    </message>
    <message>
        <source>Parcel is not here</source>
        <translation>包裹不在这里</translation>
    </message>
    <message>
        <source>Parcel is damaged</source>
        <translation>包裹已损坏</translation>
    </message>
    <message>
        <source>Problem?</source>
        <translation>遇到问题？</translation>
    </message>
    <message>
        <source>Back to my door</source>
        <translation>返回我的柜门</translation>
    </message>
</context>
<context>
    <name>DoorPosition</name>
    <message>
        <source>top left</source>
        <translation>左上方</translation>
    </message>
    <message>
        <source>top middle</source>
        <translation>上方中间</translation>
    </message>
    <message>
        <source>top right</source>
        <translation>右上方</translation>
    </message>
    <message>
        <source>middle left</source>
        <translation>左侧中部</translation>
    </message>
    <message>
        <source>in the middle</source>
        <translation>正中间</translation>
    </message>
    <message>
        <source>middle right</source>
        <translation>右侧中部</translation>
    </message>
    <message>
        <source>lower left</source>
        <translation>左下方</translation>
    </message>
    <message>
        <source>lower middle</source>
        <translation>下方中间</translation>
    </message>
    <message>
        <source>lower right</source>
        <translation>右下方</translation>
    </message>
    <message>
        <source>Column %1, row %2 from the top: %3</source>
        <translation>第 %1 列，从上往下第 %2 行：%3</translation>
    </message>
</context>
<context>
    <name>ErrorScreen</name>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>This QR code is not a pickup code</source>
        <translation>此二维码不是取件码</translation>
    </message>
    <message>
        <source>Scan the QR code from your “parcel is ready” message, or type the 8-digit code.</source>
        <translation>请扫描“包裹已到”通知中的二维码，或输入8位取件码。</translation>
    </message>
    <message>
        <source>That is not a pickup code</source>
        <translation>这不是取件码</translation>
    </message>
    <message>
        <source>A pickup code has 8 digits. You find it in your parcel message.</source>
        <translation>取件码为8位数字，可在包裹通知中找到。</translation>
    </message>
    <message>
        <source>Your parcel has not arrived yet</source>
        <translation>您的包裹尚未到达</translation>
    </message>
    <message>
        <source>We will send you a message as soon as it is in the locker.</source>
        <translation>包裹放入快递柜后，我们会立即通知您。</translation>
    </message>
    <message>
        <source>d MMMM yyyy</source>
        <comment>date format of the expiry date</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>The pickup time ended on %1. The parcel goes back to the sender.</source>
        <translation>取件期限已于 %1 结束。包裹将退回寄件人。</translation>
    </message>
    <message>
        <source>The pickup time has ended. The parcel goes back to the sender.</source>
        <translation>取件期限已过。包裹将退回寄件人。</translation>
    </message>
    <message>
        <source>This code has expired</source>
        <translation>此取件码已过期</translation>
    </message>
    <message>
        <source>This parcel was already picked up</source>
        <translation>此包裹已被取走</translation>
    </message>
    <message>
        <source>If it was not you, please contact support.</source>
        <translation>如果不是您本人取走的，请联系客服。</translation>
    </message>
    <message>
        <source>This delivery was cancelled</source>
        <translation>此次投递已取消</translation>
    </message>
    <message>
        <source>The parcel is not in this locker. Please contact the sender.</source>
        <translation>包裹不在此快递柜中。请联系寄件人。</translation>
    </message>
    <message>
        <source>Your parcel is in another locker</source>
        <translation>您的包裹在另一个快递柜</translation>
    </message>
    <message>
        <source>Please go to the locker %1 to pick it up.</source>
        <translation>请前往快递柜 %1 取件。</translation>
    </message>
    <message>
        <source>Door %1 did not open</source>
        <translation>格口 %1 未能打开</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>请再试一次。</translation>
    </message>
    <message>
        <source>Try the door again</source>
        <translation>再次尝试开门</translation>
    </message>
    <message>
        <source>We have reported the fault. Your parcel is safe.</source>
        <translation>我们已上报故障。您的包裹安全无虞。</translation>
    </message>
    <message>
        <source>Open my next door</source>
        <translation>打开下一个格口</translation>
    </message>
    <message>
        <source>Too many wrong codes</source>
        <translation>错误次数过多</translation>
    </message>
    <message>
        <source>We could not find this code</source>
        <translation>未找到此取件码</translation>
    </message>
    <message>
        <source>Check the 8 digits in your parcel message and try again.</source>
        <translation>请核对包裹通知中的8位数字后重试。</translation>
    </message>
    <message>
        <source>For your security, code entry is paused after several wrong codes. You can try again in %1. If you cannot find your code, call support.</source>
        <translation>为了您的安全，多次输错后已暂停输入取件码。%1 后可以再试。如果找不到取件码，请致电客服。</translation>
    </message>
    <message numerus="yes">
        <source>%n more wrong code(s) before a short pause.</source>
        <translation>
            <numerusform>再输错 %n 次将暂停输入片刻。</numerusform>
        </translation>
    </message>
    <message>
        <source>Thank you: we were told door %1 did not open</source>
        <translation>谢谢：已收到 %1 号柜门未打开的反馈</translation>
    </message>
    <message>
        <source>Your parcel stays in the locker. Support will contact you to arrange a new pickup. Your reference: %1</source>
        <translation>您的包裹仍在柜中。客服将联系您另约取件。反馈编号：%1</translation>
    </message>
    <message>
        <source>Thank you: we were told your parcel is not in door %1</source>
        <translation>谢谢：已收到 %1 号格口内没有包裹的反馈</translation>
    </message>
    <message>
        <source>Please close the door. Support will look into it and contact you. Your reference: %1</source>
        <translation>请关好柜门。客服将核查并联系您。反馈编号：%1</translation>
    </message>
    <message>
        <source>Thank you: we were told your parcel is damaged</source>
        <translation>谢谢：已收到包裹损坏的反馈</translation>
    </message>
    <message>
        <source>Take the parcel if you want it, or leave it inside, and close the door. Support will contact you about a claim. Your reference: %1</source>
        <translation>您可以取走包裹或留在柜中，然后关好柜门。客服将就索赔事宜联系您。反馈编号：%1</translation>
    </message>
    <message>
        <source>Need help? %1</source>
        <translation>需要帮助？%1</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>Parcel pickup</source>
        <translation>自助取件</translation>
    </message>
    <message>
        <source>Your parcel is waiting in one of these lockers.</source>
        <translation>您的包裹就在这些格口中。</translation>
    </message>
    <message>
        <source>Scan your QR code here</source>
        <translation>请在此扫描二维码</translation>
    </message>
    <message>
        <source>Show camera</source>
        <translation>显示摄像头画面</translation>
    </message>
    <message>
        <source>Type your code</source>
        <translation>输入取件码</translation>
    </message>
    <message>
        <source>Courier / service</source>
        <translation>快递员 / 维护</translation>
    </message>
    <message>
        <source>A+ Larger</source>
        <translation>A+ 大字</translation>
    </message>
    <message>
        <source>Speak to me</source>
        <translation>语音提示</translation>
    </message>
    <message>
        <source>Accessibility mode: larger text and spoken guidance</source>
        <translation>无障碍模式：大字体和语音引导</translation>
    </message>
    <message>
        <source>The camera is here</source>
        <translation>摄像头在这里</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>删除最后一位</translation>
    </message>
</context>
<context>
    <name>LabelEntry</name>
    <message>
        <source>Type the label</source>
        <translation>输入标签</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Delete last character</source>
        <translation>删除最后一个字符</translation>
    </message>
    <message>
        <source>Label typed so far</source>
        <translation>已输入的标签</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Help: %1</source>
        <translation>帮助：%1</translation>
    </message>
</context>
<context>
    <name>OfflineBadge</name>
    <message>
        <source>Offline: pickup still works</source>
        <translation>离线：仍可正常取件</translation>
    </message>
</context>
<context>
    <name>OutOfServiceScreen</name>
    <message>
        <source>Out of service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>This locker cannot open doors right now. Our team has been told and will fix it. Your parcel is safe; please come back later.</source>
        <translation>此快递柜暂时无法开门。我们已收到通知并将尽快修复。您的包裹安全无虞，请稍后再来。</translation>
    </message>
    <message>
        <source>Need help? %1</source>
        <translation>需要帮助？%1</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <source>Hold your QR code up to the camera</source>
        <translation>请将二维码对准摄像头</translation>
    </message>
    <message>
        <source>Turn up your phone&apos;s brightness. The door opens as soon as the code is read.</source>
        <translation>请调高手机屏幕亮度。识别成功后格口会自动打开。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Type the code instead</source>
        <translation>改为手动输入取件码</translation>
    </message>
</context>
<context>
    <name>StaffLoginScreen</name>
    <message>
        <source>That did not work. Check the ID and PIN.</source>
        <translation>登录失败。请核对编号和 PIN 码。</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
</context>
<context>
    <name>StaffLoginTexts</name>
    <message numerus="yes">
        <source>That did not work. %n attempt(s) left.</source>
        <translation>
            <numerusform>登录失败。还剩 %n 次机会。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>失败次数过多。请在 %n 分钟后重试。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffOutOfServiceScreen</name>
    <message>
        <source>This locker is not set up yet</source>
        <translation>此快递柜尚未完成设置</translation>
    </message>
    <message>
        <source>It has no data from the central service yet, so no login can be checked. Check the network; try again in a few minutes.</source>
        <translation>尚未从中央服务收到数据，因此无法验证登录。请检查网络，几分钟后再试。</translation>
    </message>
    <message>
        <source>The lock board does not answer</source>
        <translation>锁控板无响应</translation>
    </message>
    <message>
        <source>No door can be opened. Check the board&apos;s power and the RS-485 cable; the screen comes back by itself.</source>
        <translation>目前无法打开任何格口。请检查锁控板电源和 RS-485 线缆；恢复后界面会自动返回。</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>TechnicianDoorsScreen</name>
    <message>
        <source>opened</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>was already open</source>
        <translation>原本已打开</translation>
    </message>
    <message>
        <source>did not open</source>
        <translation>未打开</translation>
    </message>
    <message>
        <source>board did not answer</source>
        <translation>锁控板无响应</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message numerus="yes">
        <source>Open all %n door(s)?</source>
        <translation>
            <numerusform>打开全部 %n 个格口？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open the %n door(s) of this column?</source>
        <translation>
            <numerusform>打开这一列的 %n 个格口？</numerusform>
        </translation>
    </message>
    <message>
        <source>Open door %1?</source>
        <translation>打开格口 %1？</translation>
    </message>
    <message>
        <source>Doors open one after another: %1. Every opening is recorded with your ID.</source>
        <translation>格口将依次打开：%1。每次开门都会连同您的编号一起记录。</translation>
    </message>
    <message>
        <source>%1 holds a customer&apos;s parcel: its record stays “in the locker”, so leave it inside or the customer&apos;s code will open an empty door.</source>
        <translation>%1 内有客户的包裹：记录仍为“在柜中”，请留在柜内，否则客户的取件码会打开一个空格口。</translation>
    </message>
    <message>
        <source>%1 holds a parcel for a courier to collect: its record does not change either.</source>
        <translation>%1 内有待快递员取回的包裹：其记录同样不会改变。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Yes, open</source>
        <translation>确认打开</translation>
    </message>
    <message>
        <source>Opening doors…</source>
        <translation>正在打开格口…</translation>
    </message>
    <message>
        <source>%1 of %2 done.</source>
        <translation>已完成 %1 个，共 %2 个。</translation>
    </message>
    <message>
        <source>Doors handled</source>
        <translation>格口处理完毕</translation>
    </message>
    <message numerus="yes">
        <source>%n door(s) did not open.</source>
        <translation>
            <numerusform>有 %n 个格口未打开。</numerusform>
        </translation>
    </message>
    <message>
        <source>Every door opened.</source>
        <translation>所有格口均已打开。</translation>
    </message>
    <message>
        <source>Back to the map</source>
        <translation>返回示意图</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>格口</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>TechnicianInfoScreen</name>
    <message>
        <source>Back to the map</source>
        <translation>返回示意图</translation>
    </message>
    <message>
        <source>Bus scan</source>
        <translation>总线扫描</translation>
    </message>
    <message>
        <source>Waiting for door %1 to close: the scan starts by itself when every door is shut.</source>
        <translation>正在等待 %1 号柜门关闭：所有柜门关好后扫描会自动开始。</translation>
    </message>
    <message>
        <source>%1 of %2 addresses answered. Serial port: %3.</source>
        <translation>%2 个地址中有 %1 个响应。串口：%3。</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>锁控板</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Locks</source>
        <translation>锁数</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>重新扫描</translation>
    </message>
    <message>
        <source>Frame log</source>
        <translation>通信帧日志</translation>
    </message>
    <message numerus="yes">
        <source>The last %n frame(s), newest first.</source>
        <translation>
            <numerusform>最近 %n 帧，最新的在最上面。</numerusform>
        </translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Dir.</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Bytes (hex)</source>
        <translation>字节（十六进制）</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>received</source>
        <translation>接收</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>No sync status yet.</source>
        <translation>暂无同步状态。</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Central service: %1. Sync requested.</source>
        <translation>中心服务：%1。已请求同步。</translation>
    </message>
    <message>
        <source>Central service: %1.</source>
        <translation>中心服务：%1。</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>最近成功</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Last error at</source>
        <translation>最近错误时间</translation>
    </message>
    <message>
        <source>Offline since</source>
        <translation>离线开始时间</translation>
    </message>
    <message>
        <source>Events waiting to be sent</source>
        <translation>待发送事件</translation>
    </message>
    <message>
        <source>Events refused by central</source>
        <translation>被中心拒绝的事件</translation>
    </message>
    <message>
        <source>Clock difference</source>
        <translation>时钟偏差</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>最近心跳</translation>
    </message>
    <message>
        <source>Software version</source>
        <translation>软件版本</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Logs and the audit trail are in %1.</source>
        <translation>日志和审计记录已保存到 %1。</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>%1. Check that the USB stick is plugged in and not full, then try again.</source>
        <translation>%1。请确认 U 盘已插好且未存满，然后重试。</translation>
    </message>
</context>
<context>
    <name>TechnicianLoginScreen</name>
    <message>
        <source>Service and diagnostics</source>
        <translation>维护与诊断</translation>
    </message>
    <message>
        <source>Choose your ID, then type your PIN.</source>
        <translation>请选择您的编号，然后输入 PIN 码。</translation>
    </message>
    <message>
        <source>Type your technician ID and PIN.</source>
        <translation>请输入技术员编号和 PIN 码。</translation>
    </message>
</context>
<context>
    <name>TechnicianMapScreen</name>
    <message>
        <source>open</source>
        <translation>开</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>关</translation>
    </message>
    <message>
        <source>not read</source>
        <translation>未读到</translation>
    </message>
    <message>
        <source>free</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>occupied</source>
        <translation>占用</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>预留</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>sensor: full</source>
        <translation>传感器：有物品</translation>
    </message>
    <message>
        <source>sensor: empty</source>
        <translation>传感器：空</translation>
    </message>
    <message numerus="yes">
        <source>Diagnostics: %n compartment(s)</source>
        <translation>
            <numerusform>诊断：%n 个格口</numerusform>
        </translation>
    </message>
    <message>
        <source>Tap a compartment to select it.</source>
        <translation>点击格口进行选择。</translation>
    </message>
    <message>
        <source>%1, size %2: door %3, %4.</source>
        <translation>%1，尺寸 %2：柜门%3，%4。</translation>
    </message>
    <message>
        <source>Open this door</source>
        <translation>打开此格口</translation>
    </message>
    <message>
        <source>Open its column</source>
        <translation>打开整列</translation>
    </message>
    <message>
        <source>Open all doors</source>
        <translation>打开全部格口</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>恢复使用</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Bus scan</source>
        <translation>总线扫描</translation>
    </message>
    <message>
        <source>Frame log</source>
        <translation>通信帧日志</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
</context>
</TS>
